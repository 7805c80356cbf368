Console.WriteLine("iotctl");
